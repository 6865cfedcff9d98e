"""During the hour, pure: the live room's posts sorted into questions with recap's rules
(`room`), the question schedule and its countdown from the ledger's rows (`questions`), and
when each network is read next (`polling`). No I/O, no clock: "now" is a parameter."""
