// Ends this process when its parent goes away (e.g. run.mjs killed with SIGKILL, which leaves no
// chance to clean up): a bench server must never outlive the bench. Started by hand from a shell,
// the parent is the shell, which outlives it as usual.
export function exitWithParent(onExit = () => process.exit(0)) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onExit();
  }, 1000).unref();
}
