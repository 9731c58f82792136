"""The workflow step commands: assign, return, extend, contact, opinion, reply, feedback, promise, convert, close."""
