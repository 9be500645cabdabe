import streamlit as st

st.title("4_attention")
