import { BlockList, isIPv4, isIPv6 } from 'net';

export { BlockList, isIPv4, isIPv6 };
