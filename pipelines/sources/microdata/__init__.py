"""Microdata (person-level survey files) to aggregates: `schema` checks the file, `aggregate`
computes weighted indicators by breakdown with standard errors and disclosure control,
`source` says which file a run uses and writes the cells; `synthetic` generates test files.
Only aggregates leave this package. (Submodules are imported where needed: this package's
import must stay cheap for `monitor refresh`'s no-change check.)"""
