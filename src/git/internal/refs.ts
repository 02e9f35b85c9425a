export interface RefUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

const ZERO = /^0+$/;

/** Parses pre-receive input: `<old> <new> <ref>` per line. */
export function parseRefUpdates(text: string): RefUpdate[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [oldSha = '', newSha = '', ref = ''] = l.split(/\s+/);
      return { oldSha, newSha, ref };
    });
}

/** Branches a push may deploy: the deploy branch, and `master` when that is `main` (as Heroku accepts). */
export function deployableRefs(deployBranch: string): string[] {
  const refs = [`refs/heads/${deployBranch}`];
  if (deployBranch === 'main') refs.push('refs/heads/master');
  return refs;
}

/**
 * The one update that deploys, or why the push is refused: a push may only
 * update the app's deploy branch, and may not delete it.
 */
export function deployUpdate(updates: readonly RefUpdate[], deployBranch: string): RefUpdate | string {
  const allowed = deployableRefs(deployBranch);
  const hint = `Push with: git push cupaas HEAD:${deployBranch}`;
  const other = updates.find((u) => !allowed.includes(u.ref));
  if (other) {
    const name = other.ref.replace(/^refs\/heads\//, '');
    return `Pushed to ${name}, but this app deploys only the branch ${deployBranch}. ${hint}`;
  }
  const update = updates[updates.length - 1];
  if (!update) return `Nothing to deploy. ${hint}`;
  if (ZERO.test(update.newSha)) return `The deploy branch ${deployBranch} cannot be deleted.`;
  return update;
}
