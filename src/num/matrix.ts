import { createRequire } from 'node:module';
import type * as MlMatrix from 'ml-matrix';

/**
 * ml-matrix, loaded as the CommonJS bundle it ships. Its ESM entry only re-exports that bundle,
 * and Node then scans the whole 150 kB of it for export names before running it: some 30 ms of
 * every start-up. Requiring the bundle directly gives the very same classes (Node keeps one
 * instance of the module either way), so a `Matrix` from here is a `Matrix` from 'ml-matrix'.
 * Source files import ml-matrix's values from this module; type-only imports may name ml-matrix.
 */
const mlMatrix = createRequire(import.meta.url)('ml-matrix') as typeof MlMatrix;

export const Matrix = mlMatrix.Matrix;
export type Matrix = MlMatrix.Matrix;
export const EigenvalueDecomposition = mlMatrix.EigenvalueDecomposition;
export type EigenvalueDecomposition = MlMatrix.EigenvalueDecomposition;
export const LuDecomposition = mlMatrix.LuDecomposition;
export type LuDecomposition = MlMatrix.LuDecomposition;
export const QrDecomposition = mlMatrix.QrDecomposition;
export type QrDecomposition = MlMatrix.QrDecomposition;
export const inverse = mlMatrix.inverse;
export const solve = mlMatrix.solve;
