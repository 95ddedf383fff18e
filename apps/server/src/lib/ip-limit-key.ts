import { isIPv4, isIPv6 } from "node:net";

/** Eight hextets of an IPv6 address (zone dropped, an embedded dotted IPv4 tail converted). */
function expandIPv6(address: string): number[] {
  const withoutZone = address.split("%")[0] ?? "";
  const toHextets = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").flatMap((group) => {
      if (!group.includes(".")) return [parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = "", tail] = withoutZone.split("::");
  const left = toHextets(head);
  const right = tail === undefined ? [] : toHextets(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The key under which a client address is counted by every per-IP limit. One IPv6 customer
 * usually holds a whole /64 and can pick any address in it, so IPv6 counts per /64; an
 * IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack socket reports) is that IPv4.
 */
export function ipLimitKey(ip: string): string {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const hextets = expandIPv6(ip);
  const isMappedIPv4 = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (isMappedIPv4) {
    const [high = 0, low = 0] = hextets.slice(6);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(":")}::/64`;
}
