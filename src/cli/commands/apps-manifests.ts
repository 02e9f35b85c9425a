import { stringify } from 'yaml';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

interface ManifestList {
  apiVersion: string;
  kind: string;
  items: readonly unknown[];
}

export default defineCommand({
  name: 'apps:manifests',
  summary: "print the Kubernetes objects that run an app's release, as YAML for kubectl or GitOps",
  app: true,
  json: true,
  options: {
    release: { type: 'string', description: 'the release to describe, e.g. v3 (default the current one)' },
  },
  details: 'Examples:\n  cupaas apps:manifests -a shop > shop.yaml\n  cupaas apps:manifests --release v3 | kubectl apply --server-side -f -',
  async run({ api, app, flags, out }) {
    const release = flags.release === undefined ? undefined : String(flags.release);
    if (release !== undefined && !/^v?\d+$/.test(release)) throw new CliError(`--release must be a version like v3, got "${release}".`);
    const name = await app();
    const query = release ? `?release=${encodeURIComponent(release)}` : '';
    const list = await api.request<ManifestList>('GET', `/apps/${encodeURIComponent(name)}/manifests${query}`);
    if (flags.json) return out.json(list);
    // One YAML document per object: what `kubectl apply -f` and GitOps tools read.
    out.line(list.items.map((item) => stringify(item, { lineWidth: 0 }).trimEnd()).join('\n---\n'));
  },
});
