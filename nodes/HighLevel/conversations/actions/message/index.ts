export { get } from './get';
export { getRecording } from './get-recording';
export { getTranscription } from './get-transcription';
export { reply } from './reply';
export { send } from './send';
export { updateStatus } from './update-status';
