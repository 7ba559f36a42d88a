// n8n-core resolves its services (instance settings, SSH tunnels, binary data)
// from its own copy of @n8n/di, which may not be the project's copy. The test
// harness registers stand-ins there so that building a node context neither
// writes ~/.n8n/config nor leaves an SSH clean-up timer running.
const path = require('node:path');

const coreDir = path.dirname(require.resolve('n8n-core'));
const { Container } = require(require.resolve('@n8n/di', { paths: [coreDir] }));
const { SSHClientsManager } = require(path.join(coreDir, 'execution-engine', 'ssh-clients-manager.js'));

function registerTestServices(InstanceSettings) {
	Container.set(InstanceSettings, { instanceId: 'test-instance', n8nFolder: '/nonexistent' });
	Container.set(SSHClientsManager, { getClient: async () => { throw new Error('no SSH in tests'); } });
}

module.exports = { registerTestServices };
