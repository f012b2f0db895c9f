// Empty: this package only names the C sources scripts/setup fetches (Cargo.toml).
