// Integration tests drive real servers and child processes; on two busy cores 5 s is too short.
jest.setTimeout(120_000);
