// Package admin holds the staff and integrator routes (/v1/admin/...): thin
// handlers that bind the request, call one domain service method with the
// acting principal and map the result to the response DTOs declared here.
// Every route declares which staff roles it is open to; services check again.
package admin
