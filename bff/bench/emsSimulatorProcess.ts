/** The EMS simulator in its own process for benchmarks: a remote system does not share the BFF's CPU. */
import { createEmsSimulator } from '../simulators/ems/server';
import { DEMO_CREDENTIALS } from '../src/config';

const sim = createEmsSimulator({ ...DEMO_CREDENTIALS.ems });
const url = await sim.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
