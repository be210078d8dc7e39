import { type BenchOptions } from './options';

export async function runReadPaths(options: BenchOptions): Promise<void> {
  void options;
}
