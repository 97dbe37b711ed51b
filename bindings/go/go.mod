module github.com/rtms-rs/rtms/bindings/go

go 1.24
