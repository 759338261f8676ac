export default definePageConfig({ navigationBarTitleText: '时效监管', enablePullDownRefresh: true });
