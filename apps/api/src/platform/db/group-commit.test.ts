import { GroupCommit } from './group-commit';

/** A batch writer the test finishes by hand, recording the batches it was given. */
function manualWriter() {
  const batches: number[][] = [];
  const pending: Array<{ finish: () => void; fail: (error: Error) => void }> = [];
  const write = (requests: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...requests]);
      pending.push({
        finish: () => resolve(requests.map((request) => request * 10)),
        fail: reject,
      });
    });
  return { batches, pending, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('starts a request at once while a slot is free, and queues the rest into the next batch', async () => {
    const writer = manualWriter();
    const group = new GroupCommit(writer.write, { concurrentBatches: 1, maxBatchSize: 10 });
    const first = group.submit(1);
    expect(writer.batches).toEqual([[1]]);
    const later = [2, 3, 4].map((n) => group.submit(n));
    expect(writer.batches).toEqual([[1]]); // waiting for the slot
    writer.pending[0]!.finish();
    expect(await first).toBe(10);
    await settle();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    writer.pending[1]!.finish();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('runs up to concurrentBatches at once and cuts batches at maxBatchSize', async () => {
    const writer = manualWriter();
    const group = new GroupCommit(writer.write, { concurrentBatches: 2, maxBatchSize: 2 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => group.submit(n));
    expect(writer.batches).toEqual([[1], [2]]);
    writer.pending[0]!.finish();
    await settle();
    expect(writer.batches).toEqual([[1], [2], [3, 4]]);
    writer.pending[1]!.finish();
    await settle();
    expect(writer.batches).toEqual([[1], [2], [3, 4], [5, 6]]);
    writer.pending[2]!.finish();
    writer.pending[3]!.finish();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('rejects every request of a failed batch, and goes on with the next', async () => {
    const writer = manualWriter();
    const group = new GroupCommit(writer.write, { concurrentBatches: 1, maxBatchSize: 10 });
    const first = group.submit(1);
    const second = group.submit(2);
    const third = group.submit(3);
    writer.pending[0]!.finish();
    await first;
    await settle();
    writer.pending[1]!.fail(new Error('deadlock'));
    await expect(second).rejects.toThrow('deadlock');
    await expect(third).rejects.toThrow('deadlock');
    const fourth = group.submit(4);
    expect(writer.batches.at(-1)).toEqual([4]);
    writer.pending[2]!.finish();
    expect(await fourth).toBe(40);
  });
});
