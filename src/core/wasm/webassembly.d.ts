/**
 * The slice of the WebAssembly JavaScript API the kernels use. Bun and Deno have it all; the
 * type-check here runs with only ES2023 and Node's types, which leave WebAssembly out.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    /** a SharedArrayBuffer for shared memories; a new one after each grow */
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
