// Empty on purpose: this crate exists only to fetch windows-sys.
