export default definePageConfig({ navigationBarTitleText: '快递袋批次与标签' });
