module cdx.invalid/bench-peers/go

go 1.19
