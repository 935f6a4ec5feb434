// Safe PyTorch checkpoint (.pth) reading: no pickle code is ever executed.
export { readCheckpoint } from './read-checkpoint.js';
export type { Checkpoint, ReadCheckpointOptions, StorageRecord } from './checkpoint-types.js';
export {
  extractStateDict,
  matchStateDict,
  assertStateDictMatches,
  formatStateDictMismatch,
  type StateDict,
  type StateDictMatch,
  type ExpectedWeight,
  type SizeMismatch,
} from './state-dict.js';
export { dictGet, isPickleDict, isPickleTuple, describeValue } from './pickle-values.js';
export type { PickleValue, PickleTuple, PickleDict, PickleSet, PickleGlobal, PickleObject } from './pickle-values.js';
export type { NumpyArray, NumpyDtype, NumpyScalar, NumpyData } from './numpy-values.js';
export type { TorchTensor, TorchDtype, TensorData, TorchStorageRef, TorchStorageType, TorchDtypeValue } from './torch-values.js';
