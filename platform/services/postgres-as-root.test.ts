import { maySearch } from './postgres-as-root';

const postgres = { uid: 101, gid: 104 };

// As the kernel decides: the owner's bits alone for the owner, then the group's, then the others'.
test.each([
  { folder: "root's, mode 700", stat: { uid: 0, gid: 0, mode: 0o40700 }, enters: false },
  { folder: "root's, mode 711", stat: { uid: 0, gid: 0, mode: 0o40711 }, enters: true },
  { folder: "root's, mode 755", stat: { uid: 0, gid: 0, mode: 0o40755 }, enters: true },
  { folder: "root's, open to the postgres group only", stat: { uid: 0, gid: 104, mode: 0o40750 }, enters: true },
  { folder: "root's, of the postgres group, closed to it but open to others", stat: { uid: 0, gid: 104, mode: 0o40701 }, enters: false },
  { folder: "postgres's own, mode 700", stat: { uid: 101, gid: 104, mode: 0o40700 }, enters: true },
  { folder: "postgres's own, closed to its owner", stat: { uid: 101, gid: 104, mode: 0o40077 }, enters: false },
])('a folder $folder: the postgres account enters it: $enters', ({ stat, enters }) => {
  expect(maySearch(stat, postgres)).toBe(enters);
});
