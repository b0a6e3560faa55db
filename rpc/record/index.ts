export {
  DEFAULT_MAX_RECORD_SIZE, FAILED, READ_FRAGMENT, READ_MARK, RM_LASTFRAG, RM_MAXFRAG, RecordReader,
} from './reader.js';
export type { RecordReaderOptions, RecordReaderState } from './reader.js';
export { frameRecord, recordMark } from './writer.js';
