"""After the hour, pure: the posts of a session, their threads, the figures, the transcript,
the people who came and the chart of how many came (no I/O, no clock)."""
