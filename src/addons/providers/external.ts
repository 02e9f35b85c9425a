import { invalid } from '../../shared/errors.js';
import { credentialsFromUrl } from '../internal/credentials.js';
import type { AddonProvider } from '../provider.js';

const managedElsewhere = (what: string) =>
  invalid(`External add-ons are managed by their own provider, so cupaas cannot ${what} them. ` +
    'Use the provider\'s own tools; to change the URL, destroy the add-on and attach the new URL with `cupaas addons:attach URL --as NAME`.');

/** Parses and checks the URL a user attaches: any scheme, but a real absolute URL. */
function attachableUrl(raw: string | undefined): string {
  if (!raw) throw invalid('An external add-on needs the URL of the service: `{"plan": "external", "config": {"url": "..."}}`.');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw invalid(`"${raw.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL; give the full URL, e.g. postgres://user:pass@db.example.com:5432/name.`);
  }
  if (!u.protocol || !u.host) throw invalid('The URL must name a host, e.g. smtp://user:pass@mail.example.com:587.');
  return raw;
}

/** An outside service (hosted database, mail, logs...) attached by URL; cupaas runs nothing for it. */
export function createExternalProvider(): AddonProvider {
  return {
    service: {
      name: 'external',
      humanName: 'External service',
      description: 'Any service outside cupaas, attached by its URL (a hosted database, a mail or log service).',
      aliases: ['url'],
      plans: ['url'],
      attachmentNames: ['EXTERNAL'],
      varSuffix: '_URL',
      backupExtension: null,
      external: true,
    },
    unavailable: async () => null,
    provision: async ({ options }) => ({ providerId: 'external', url: attachableUrl(options.url) }),
    deprovision: async () => {},
    credentials: (r) => credentialsFromUrl(r.url),
    status: async () => ({ ok: true, detail: 'attached (not managed by cupaas)' }),
    backup: async () => {
      throw managedElsewhere('back up');
    },
    restore: async () => {
      throw managedElsewhere('restore');
    },
    rotate: async () => {
      throw managedElsewhere('rotate credentials of');
    },
    resume: async () => {},
  };
}
