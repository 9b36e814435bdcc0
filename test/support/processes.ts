/**
 * What the operating system shows of a set of processes (Linux /proc): their command lines and
 * environments, and the TCP sockets they listen on. The e2e tests look there for secrets and open
 * DevTools ports as any local user could.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // ended meanwhile, or not ours to read
  }
};

/** Every process whose command line contains `marker`, and all their descendants. */
export function processTree(marker: string): number[] {
  const parents = new Map<number, number>();
  const roots: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const pid = Number(entry);
    const stat = read(`/proc/${pid}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(pid, ppid);
    if (pid !== process.pid && read(`/proc/${pid}/cmdline`).includes(marker)) roots.push(pid);
  }
  const tree = new Set(roots);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grown = true;
      }
    }
  }
  return [...tree];
}

export const commandLine = (pid: number): string => read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
export const environment = (pid: number): string => read(`/proc/${pid}/environ`).replaceAll('\0', '\n');

/** The TCP ports a process listens on (IPv4 and IPv6). */
export function listeningTcpPorts(pid: number): number[] {
  const listening = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of read(table).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') listening.set(fields[9]!, parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  const ports: number[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return ports;
  }
  for (const fd of fds) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const port = inode === undefined ? undefined : listening.get(inode);
    if (port !== undefined) ports.push(port);
  }
  return ports;
}
