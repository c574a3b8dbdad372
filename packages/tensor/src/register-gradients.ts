// tfjs-core's Node entry (tf-core.node.js) registers neither gradients nor the chained methods
// (`x.add(y)`). Its registration modules exist only as ESM files with extensionless imports, so
// tsup bundles them into this package. They write into tfjs's global registries and patch the
// global Tensor class, so they act on the one engine the app imported.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
