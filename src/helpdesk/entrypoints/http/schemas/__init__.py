"""HTTP request and response shapes (msgspec Structs), one module per resource, apart from the
domain's dataclasses."""
