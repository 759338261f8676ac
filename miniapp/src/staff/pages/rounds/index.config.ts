export default definePageConfig({ navigationBarTitleText: '免申即享进度', enablePullDownRefresh: true });
