// Package gridsdemo generates a synthetic community shaped exactly like the
// case's: 225 buildings, 4,177 households and 11,458 residents whose
// population table (residents by sex, migrants, retirees and each elderly
// category, disabilities by type, the young, migrant women of child-bearing
// age, retired party members, 27% elderly or disabled) matches the case's
// figures to the person, laid out in the old 9 districts and 27 grids.
//
// Names are synthetic and phone numbers are left out. Households of a kind
// (lone elders, migrants, young families) cluster in neighbouring
// buildings, as they do in real old estates, so regrouping has structure
// to find. The same year and seed give the same community.
//
// The registry part of the examples server's demo data, and the input of
// the import and summary benchmarks.
package gridsdemo
