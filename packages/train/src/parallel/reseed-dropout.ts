import type { ModuleConfig } from '@descent/layers';
import { mixSeed } from '@descent/random';

/**
 * A copy of a model config in which every seeded Dropout has its seed mixed with `replica`:
 * otherwise each replica would draw the same mask sequence (on different rows). Other types are
 * left as they are; nested configs (Sequential's layers, a module's children) are followed.
 */
export function reseedDropout(config: ModuleConfig, replica: number): ModuleConfig {
  const out: ModuleConfig = { ...config };
  if (config.type === 'Dropout' && typeof config['seed'] === 'number') {
    out['seed'] = mixSeed(config['seed'] as number, replica);
  }
  for (const [key, value] of Object.entries(config)) {
    if (Array.isArray(value)) {
      out[key] = value.map((v) =>
        v && typeof v === 'object' && typeof v.type === 'string' ? reseedDropout(v, replica) : v,
      );
    } else if (value && typeof value === 'object' && typeof (value as ModuleConfig).type === 'string') {
      out[key] = reseedDropout(value as ModuleConfig, replica);
    }
  }
  return out;
}
