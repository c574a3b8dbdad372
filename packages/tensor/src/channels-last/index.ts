export {
  batchNormChannelsLast,
  type ChannelMoments,
  channelMomentsChannelsLast,
} from './batch-norm';
export { toChannelsFirst, toChannelsLast } from './layout';
export { avgPool2dChannelsLast, maxPool2dChannelsLast, type Pool2dGeometry } from './pool2d';
