/**
 * True only when no process with this pid exists on this machine. EPERM means it exists but is
 * someone else's, so it is alive; anything unclear counts as alive, because the callers delete
 * what a dead process left and must never delete a live one's files.
 */
export function processIsGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
