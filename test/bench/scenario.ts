/** What a benchmark scenario is: a name, what it measures, and the load to drive. */
import type { Stack } from '../../bin/lib/stack.ts';
import type { Load } from './load.ts';

export interface Scenario {
  name: string;
  what: string;
  /** Connections for this scenario (default: the run's). */
  connections?: number;
  load(stack: Stack): Omit<Load, 'connections' | 'durationS'>;
}
