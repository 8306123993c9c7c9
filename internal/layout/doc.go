// Package layout holds no code: its test checks the shape of the module
// that its docs promise. Imports point one way (internal ← grids ←
// governance ← {points, funds} ← adapters ← examples; points and funds
// never import each other; nothing under internal imports the domain), and
// every type an exported declaration of a public package mentions can be
// named from outside the module.
package layout
