// Package grids is the community registry: the communities linli serves
// (each one a tenant), their districts (片区) and grids (网格), the buildings
// (楼栋) in each grid, the households (户) in each building and the residents
// (居民) in each household, with the profile the self-governance model works
// from: interest and need tags and the vulnerabilities a community counts
// (retirees, empty-nest and lone elders, disabilities by type, migrants …).
//
// # Model
//
// Districts nest grids and are served by up to two community workers (片长);
// grids hold buildings; buildings know their neighbours (an undirected
// graph, used when regrouping residents into grids). Every record belongs to
// exactly one Community and every lookup is scoped by community, so no call
// can read across tenants.
//
// People are never deleted: residents, households and the structures that
// hold them are archived with a reason and can be restored. Archiving a
// household archives its residents with it (the family moved out); restoring
// it brings back exactly those residents.
//
// # Services and stores
//
// Registry enforces the rules (validation, references, authorization) on top
// of a Store, which only persists. Store implementations live in
// adapters/memstore and adapters/sqlstore; gridstest.RunStoreTests is the
// contract all of them pass.
//
// Every Registry method reads the acting Principal from the context
// (WithPrincipal). Community workers administer their community's registry;
// other members see its structure and aggregate figures, and residents see
// the personal data of their own household only. Refusals are Forbidden
// errors naming the rule.
//
// # Figures
//
// Summary computes the population table the case reports (households,
// residents by sex, migrants, retirees and each elderly category,
// disabilities by type, under-18 and under-14, migrant women of
// child-bearing age, retired party members, the share elderly or disabled)
// for a community, a district or a grid.
//
// # Bulk import
//
// Import reads the lists social workers keep in spreadsheets (buildings,
// households, residents as CSV, with English or Chinese headers, UTF-8 or
// GB18030) and stores all of them or none: every bad row is reported with
// its line number and column.
package grids
