/** A size as Vietnamese users read it in messages: "1,5 GB", "12 MB" (binary units, as file managers show them). */
export function sizeVi(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1).replace('.', ',')} GB` : `${Math.ceil(bytes / 1024 ** 2)} MB`;
}
