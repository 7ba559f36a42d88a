// Node's own address parsing and subnet matching, as an independent oracle for the
// address guard's tests. CommonJS for the same reason as io.cjs: n8n's lint forbids
// importing Node's `net` in TypeScript, and this never ships.
const { BlockList, isIPv4, isIPv6 } = require('node:net');

module.exports = { BlockList, isIPv4, isIPv6 };
