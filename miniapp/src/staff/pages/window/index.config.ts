export default definePageConfig({ navigationBarTitleText: '网点政务专窗', enablePullDownRefresh: true });
