import { it } from 'vitest';
import { runDoctorCommand, setup } from './harness.js';
it('smoke', async () => {
  const f = await setup();
  try {
    const r = await runDoctorCommand([], { configDir: f.dir });
    console.log(r.code, r.stderr);
  } finally { await f.close(); }
});
