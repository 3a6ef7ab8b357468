module storekeep/examples/go

go 1.26.0

// The client is used from this repository; an integrator's own module does
// the same with the path of their checkout (or generates its own client).
replace storekeep/clients/go => ../../clients/go

require storekeep/clients/go v0.0.0-00010101000000-000000000000

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oapi-codegen/runtime v1.9.0 // indirect
)
