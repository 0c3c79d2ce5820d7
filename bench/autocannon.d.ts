// autocannon ships no types (and @types/autocannon describes 7.x): the one call and the result fields the benchmark
// reads.
declare module 'autocannon' {
  interface AutocannonResult {
    latency: { p50: number; p99: number; max: number };
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  function autocannon(options: object): Promise<AutocannonResult>;
  export = autocannon;
}
