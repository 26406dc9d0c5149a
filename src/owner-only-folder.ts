import fs from 'node:fs';

/**
 * Makes `folder` (creating it if needed) readable by its owner only (0700). A folder that already
 * existed is tightened only if it is this user's and not a shared one (sticky, like /tmp).
 */
export function ownerOnlyFolder(folder: string): void {
  const created = fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(folder);
  const ours = created !== undefined || (stat.uid === process.getuid?.() && (stat.mode & 0o1000) === 0);
  if (ours && (stat.mode & 0o077) !== 0) fs.chmodSync(folder, 0o700);
}
