export default definePageConfig({ navigationBarTitleText: '批次进度', enablePullDownRefresh: true });
