import { argumentError } from '../errors';
import { himmelblau } from './himmelblau';
import { quadratic } from './quadratic';
import { rosenbrock } from './rosenbrock';
import { saddle } from './saddle';
import type { TestFunction } from './test-function';

export type { TestFunction };
export { himmelblau, quadratic, rosenbrock, saddle };

/** The test functions by name. */
export const testFunctions = Object.freeze({ quadratic, rosenbrock, saddle, himmelblau });

/** The name of a test function: 'quadratic', 'rosenbrock', 'saddle' or 'himmelblau'. */
export type TestFunctionName = keyof typeof testFunctions;

/** Looks a test function up by name; an unknown name lists the valid ones. */
export function getTestFunction(name: string): TestFunction {
  if (typeof name === 'string' && Object.hasOwn(testFunctions, name)) {
    return testFunctions[name as TestFunctionName];
  }
  throw argumentError('name', `one of ${Object.keys(testFunctions).join(', ')}`, name);
}
