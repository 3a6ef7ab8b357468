package orders

// UnitsShare exposes unitsShare to the external tests.
var UnitsShare = unitsShare
