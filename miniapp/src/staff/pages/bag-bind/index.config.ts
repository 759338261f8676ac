export default definePageConfig({ navigationBarTitleText: '窗口发袋' });
