// Which destination addresses are the host's own or its neighbours': loopback, link-local, private
// and carrier-grade NAT ranges, unspecified and multicast. The gate refuses to open a connection to
// one of these unless the policy named the host explicitly, so a hostile name that resolves to
// 127.0.0.1 (or an IP literal) cannot reach services listening on the host or its LAN.
import { isIPv4, isIPv6 } from 'node:net';

const v4Ranges: readonly (readonly [number, number])[] = [
  [0x00000000, 8], // 0.0.0.0/8, "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10, carrier-grade NAT
  [0x7f000000, 8], // 127/8, loopback
  [0xa9fe0000, 16], // 169.254/16, link-local (cloud metadata lives here)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 4], // 224/4, multicast
  [0xf0000000, 4], // 240/4, reserved and broadcast
];

function v4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

function privateV4(address: string): boolean {
  const value = v4Number(address);
  return v4Ranges.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    return value >= base && value < base + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted quad folded in). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1] !== undefined) {
    const value = v4Number(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function privateV6(address: string): boolean {
  const groups = v6Groups(address);
  const [first = 0] = groups;
  if (groups.slice(0, 7).every((group) => group === 0)) return (groups[7] ?? 0) <= 1; // :: and ::1
  // ::ffff:a.b.c.d and the NAT64 well-known prefix carry an IPv4 address: judge that one.
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const nat64 = first === 0x64 && groups[1] === 0xff9b;
  if (mapped || nat64) {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return privateV4(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
  }
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

/** True for an address of the host itself, its link or a private network (or not an address at all). */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) return privateV4(address);
  if (isIPv6(address)) return privateV6(address);
  return true;
}
