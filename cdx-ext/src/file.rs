//! Writing files that hold credentials: atomically, owner-only, never overwriting unasked.
