// Package validate checks structs against their `validate` tags
// (go-playground/validator) and reports failures as one errs.Invalid error
// with a FieldError per failing field, named by its JSON path.
//
// Besides validator's built-in rules it knows:
//
//	ulid   a canonical ULID (record IDs)
//	text      valid UTF-8 without control characters or surrounding spaces
//	multiline valid UTF-8 without control characters but line breaks and tabs
//	tag    an interest or need tag: 1–32 letters, digits, '_' or '-', lower case
//	phone  an optional '+', then 6–20 digits, spaces or '-'
//	finite a float that is neither NaN nor infinite
package validate
