import streamlit as st

st.title("0_home")
