/** Types for adversarial-shapes.mjs (shared by the parse benchmark and test/hostile/parse-linear.test.ts). */
export declare const ADVERSARIAL_SHAPES: Record<string, (size: number) => string>;
