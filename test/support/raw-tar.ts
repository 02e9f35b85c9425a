/**
 * Tar archives written byte by byte (ustar, gzipped), so tests can build the
 * hostile ones careful tools refuse to write: `..` paths, escaping links.
 */
import { gzipSync } from 'node:zlib';

export type TarEntry = { path: string; type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo'; body?: string; link?: string };

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', fifo: '6', dir: '5' } as const;

export function rawTarball(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const h = Buffer.alloc(512);
    h.write(e.path, 0, 100);
    h.write(e.type === 'dir' ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(TYPE_FLAG[e.type ?? 'file'], 156);
    if (e.link) h.write(e.link, 157, 100);
    h.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

